/* Names whose bytewise order differs from a case-insensitive order. */
int Zeta(void) { return 1; }
int alpha(void) { return 2; }
int _under(void) { return 3; }
int Alpha(void) { return 4; }
int ALPHA(void) { return 5; }
int alpha_(void) { return 6; }
int Alpha2(void) { return 7; }
int a(void) { return 8; }
int B(void) { return 9; }
int zeta(void) { return 10; }
int _Under(void) { return 11; }
int tilde_(void) { return 12; }
__declspec(dllexport) int beta(void) { return 13; }   /* via .drectve, merged with the .def list */
__declspec(dllexport) int Beta(void) { return 14; }
