/* Refused when duplicate-a was loaded first: the same name. */
#include "crm_fixture.h"
FIXTURE_OK("fixture-duplicate", 0)
FIXTURE_ENTRY
