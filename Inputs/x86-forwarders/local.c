int __stdcall local_fn(int x) { return x + 1; }   /* _local_fn@4 */
