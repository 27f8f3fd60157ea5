/* Loads: the first of two plugins named "fixture-duplicate". */
#include "crm_fixture.h"
FIXTURE_OK("fixture-duplicate", 0)
FIXTURE_ENTRY
