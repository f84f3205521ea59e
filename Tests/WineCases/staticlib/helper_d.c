/* Member pulled only as the target of /alternatename:optional_hook=default_hook. */
int default_hook(void) { return 404; }
