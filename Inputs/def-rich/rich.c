/* Targets for a .def file that uses most module-definition statements. */
int rich_add(int a, int b) { return a + b; }
int rich_sub(int a, int b) { return a - b; }
int rich_state = 99;
