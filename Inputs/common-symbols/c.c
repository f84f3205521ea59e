int mixed = 77;
