/* Loads: the methods of fixture-behaviour, with CRM_PLUGIN_FLAG_SERIAL. */
#include "crm_fixture.h"
FIXTURE_OK("fixture-serial", CRM_PLUGIN_FLAG_SERIAL)
FIXTURE_ENTRY
