/* Member nobody needs. If the linker pulled it, the link would fail on the undefined symbol. */
int never_defined_anywhere(void);

int helper_c(void) { return never_defined_anywhere(); }
