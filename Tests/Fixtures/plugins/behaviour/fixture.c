/* Loads: methods fail, garbage, slow, echo and nap (see crm_fixture.h); calls may run concurrently. */
#include "crm_fixture.h"
FIXTURE_OK("fixture-behaviour", 0)
FIXTURE_ENTRY
