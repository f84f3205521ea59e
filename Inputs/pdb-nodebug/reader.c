extern int counter_value;
const char reader_name[] = "reader";

__declspec(dllexport) int counter_read(void)
{
    return counter_value + (int)sizeof reader_name;
}
