int tunable(void) { return 100; }
int weak_data = 300;
