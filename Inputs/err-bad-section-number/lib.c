/* Functions and data exported through a .def file; nothing is dllexport. */
int global_counter = 42;
const char version_string[] = "def-basic 1.0";
int lookup_table[8] = { 1, 1, 2, 3, 5, 8, 13, 21 };

static int triple(int x) { return x * 3; }

int add_ints(int a, int b) { return a + b; }

int scale(int v) { return triple(v) + global_counter; }

int table_at(int i) { return lookup_table[i & 7]; }

int not_exported(int v) { return v - 1; }
