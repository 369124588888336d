/* Compile-time checks that the layout Swift imports is the one the BPF program writes. */
#include <stddef.h>
#include "sonde_events.h"

_Static_assert(sizeof(struct sonde_event_header) == 32, "event header layout");
_Static_assert(sizeof(struct sonde_connection_event) == 32 + 8 + 32 + 16 + 8, "connection event layout");
_Static_assert(sizeof(struct sonde_data_event) == 32 + 8 + 16, "data event layout");
_Static_assert(sizeof(struct sonde_config) == 32, "config layout");
