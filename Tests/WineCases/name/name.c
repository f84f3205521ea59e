/* wn_name.dll: plain exports by name, from the .def file and from a dllexport directive. */
int add_numbers(int a, int b) { return a + b; }

int multiply_numbers(int a, int b) { return a * b; }

const char *dll_greeting(void) { return "hello-from-wn_name"; }

/* Exported through the object's .drectve (/EXPORT:), not through the .def file. */
__declspec(dllexport) int answer_from_directive(void) { return 42; }

/* Not exported: must stay invisible to GetProcAddress. */
int private_helper(int x) { return x - 1; }

int call_private_helper(int x) { return private_helper(x) * 10; }
