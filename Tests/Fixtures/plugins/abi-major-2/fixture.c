/* Refused: built for ABI 2.0. */
#include "crm_fixture.h"
FIXTURE_DESCRIPTOR("fixture-abi-major-2", CRM_PLUGIN_MAGIC, 2, 0, sizeof(crm_plugin_descriptor), 0, fixture_init)
FIXTURE_ENTRY
