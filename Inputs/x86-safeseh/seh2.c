/* A second object whose .sxdata names the same handler, __except_handler3: the table lists
   it once. */
void may_fault(int *p);

__declspec(dllexport) int guarded_twice(int *p)
{
    int r = 0;
    __try { may_fault(p); may_fault(p + 1); r = 2; }
    __except (1) { r = -2; }
    return r;
}
