/* Passes the descriptor check; its init never returns. For testing that start-up and ReloadPlugins go on. */
#include "crm_fixture.h"

static int32_t loop_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    (void)config;
    (void)config_len;
    (void)state;
    (void)error;
    host->log(host, CRM_LOG_INFO, "init looping for ever");
    for (;;) {
        fixture_sleep_ms(10);
    }
}

FIXTURE_DESCRIPTOR("fixture-loop-init", CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR,
    sizeof(crm_plugin_descriptor), 0, loop_init)
FIXTURE_ENTRY
