/* counter and limits are variables; the .def exports counter without DATA and /export: exports
   limits without ,DATA, so the import library would offer importers code thunks for them:
   pelink warns. table is exported with DATA, and get_counter is code: no warning. */
int counter = 3;
const int limits[2] = {1, 9};
int table[4] = {1, 2, 3, 4};
int get_counter(void) { return counter; }
