// One of three objects carrying the same COMDAT function, static local and selectany datum.
#include "comdat.h"

COMDAT_GETTERS(a)
