/* Pushes .text, .rdata and .data contributions ahead of rvas.obj's (listed first in ARGS). */
const int helper_const[3] = { 1, 2, 3 };
int helper_data = 5;
int helper_in_c(int x) { return x + helper_const[x & 1] + helper_data; }
