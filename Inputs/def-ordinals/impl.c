/* Targets for a .def file that uses ordinals, NONAME, PRIVATE, DATA and aliases. */
int first(void) { return 1; }
int second(void) { return 2; }
int third(void) { return 3; }
int shared_value = 4;
int impl_renamed(void) { return 7; }
int quiet_data[2] = { 8, 9 };
int late(void) { return 11; }
int by_ordinal_only(void) { return 12; }
