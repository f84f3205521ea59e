#include "shared.h"
int second(Counter &c) { return c.get() * 2; }
