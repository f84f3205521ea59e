/* Only built to make provider.lib (see BUILD); not part of the link. */
int __stdcall prov_std(int a, int b) { return a - b; }
int __fastcall prov_fast(int a, int b) { return a * b; }
int __vectorcall prov_vec(int a, int b) { return a ^ b; }
int prov_data = 3;
