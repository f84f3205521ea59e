int helper_cube(int x) { return x * x * x; }
