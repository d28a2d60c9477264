"""Staff screens of the device bank: the technician's (stock) and the desk's (lending).
Thin views over the services and selectors, on the base views of core."""
