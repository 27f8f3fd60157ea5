/* Refused: the magic is not "CRMP". */
#include "crm_fixture.h"
FIXTURE_DESCRIPTOR("fixture-wrong-magic", 0xDEADBEEFu, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR,
    sizeof(crm_plugin_descriptor), 0, fixture_init)
FIXTURE_ENTRY
