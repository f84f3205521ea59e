/* Built without -g: no .debug$S or .debug$T. /debug must still write a PDB with the publics and
   the section contributions. */
int counter_value = 5;
static int bumps;

static __attribute__((noinline)) int step(int by)
{
    bumps++;
    return by * 2;
}

__declspec(dllexport) int counter_bump(int by)
{
    counter_value += step(by);
    return counter_value;
}
