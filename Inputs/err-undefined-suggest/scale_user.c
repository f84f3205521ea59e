/* scale is declared as C here but defined in C++ (impl.cpp): _scale against ?scale@@YAHH@Z. */
int scale(int x);
int use_scale(int x) { return scale(x) + 1; }
