/* Targets for every command-line /export: form. */
int plain(int x) { return x + 1; }
int internal_impl(int x) { return x + 2; }
int fifth(int x) { return x + 5; }
int sixth(int x) { return x + 6; }
int table[4] = { 10, 20, 30, 40 };
int hidden(int x) { return x - 1; }
int combo(int x) { return x * 7; }
