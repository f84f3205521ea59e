#include "shared.h"
int first(Counter &c) { return c.get(); }
