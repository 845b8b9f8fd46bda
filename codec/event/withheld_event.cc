// The withheld form of a redacted event (schemas/README.md, "Withheld events").

#include "palimpsest/event.h"

namespace palimpsest {

Digest ChainHash(const Event& event) {
  return event.withheld_hash ? *event.withheld_hash : EventHash(EncodeEvent(event));
}

Event WithheldForm(Event event, const Digest& chain_hash) {
  if (event.withheld_hash) return event;
  if (auto* c = std::get_if<CapturedEvent>(&event.body)) {
    c->url.clear();
    c->source.clear();
    c->fields.clear();
  } else if (auto* o = std::get_if<ObservedEvent>(&event.body)) {
    o->url.clear();
    o->source.clear();
  } else if (auto* k = std::get_if<CorrectedEvent>(&event.body)) {
    k->note.clear();
  } else {
    return event;
  }
  event.withheld_hash = chain_hash;
  return event;
}

}  // namespace palimpsest
