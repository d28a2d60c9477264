"""Stock: what stands where (the stock overview and the device list), transfers between hubs and
stock-takes."""
