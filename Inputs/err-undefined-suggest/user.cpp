// blend is defined in C (impl.c) but declared here without extern "C": ?blend@@YAHH@Z against _blend.
int blend(int x);
int use_cpp(int x) { return blend(x) * 2; }
