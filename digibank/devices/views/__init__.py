"""Staff screens of the device bank: the technician's (stock), the desk's (lending) and the
figures. Thin views over the services and selectors, on the base views of core."""
