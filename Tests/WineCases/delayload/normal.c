/* normal.dll: imported the ordinary way, so the loader maps it before the entry point runs. */
int normal_value(void) { return 7; }
