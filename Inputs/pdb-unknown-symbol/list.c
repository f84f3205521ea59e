/* The object the err-pdb-* cases patch: one struct type, global data, one exported function. */
struct node {
    int value;
    struct node *next;
};

struct node list_head = { 1, 0 };

__declspec(dllexport) int list_sum(struct node *n)
{
    int sum = 0;
    for (; n; n = n->next)
        sum += n->value;
    return sum;
}
