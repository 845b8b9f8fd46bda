#include "archive/projections/revision_records.h"

#include <cstring>

#include "archive/projections/capnp_records.h"
#include "palimpsest/schemas/projections.capnp.h"

namespace palimpsest {

namespace {

using records::Canonical;
using records::ReadRecord;
using records::S;
using records::T;

void ReadMergedFrom(schema::RevisionRecord::Reader b, RevisionInfo* info) {
  if (!b.hasMergedFrom()) return;
  info->merged_from = S(b.getMergedFrom());
  info->joined_at = b.getJoinedAt();
}

}  // namespace

std::string EncodeDocumentState(const DocumentState& s) {
  return Canonical<schema::DocumentRecord>([&](schema::DocumentRecord::Builder b) {
    b.setSource(T(s.source));
    b.setUrl(T(s.url));
    b.setCurrentRev(s.current_rev);
    b.setVersion(s.version);
    b.setTitle(T(s.title));
    b.setLastChange(s.last_change);
    b.setRetracted(s.retracted);
    if (s.has_last_raw) b.setLastRawHash(capnp::Data::Reader(s.last_raw.data(), s.last_raw.size()));
    b.setLastCaptureHash(T(s.last_capture_hash));
    b.setBackfilled(s.backfilled);
    if (!s.merges.empty()) {
      auto merges = b.initMerges(s.merges.size());
      for (size_t m = 0; m < s.merges.size(); ++m) {
        merges[m].setFrom(T(s.merges[m].from));
        merges[m].setSeq(s.merges[m].seq);
        merges[m].setRecordedAt(s.merges[m].recorded_at);
        merges[m].setInto(T(s.merges[m].into));
      }
    }
  });
}

Result<DocumentState> DecodeDocumentState(std::string_view bytes) {
  DocumentState s;
  PALIMPSEST_RETURN_IF_ERROR(
      ReadRecord<schema::DocumentRecord>(bytes, "document", [&](schema::DocumentRecord::Reader r) {
        s.source = S(r.getSource());
        s.url = S(r.getUrl());
        s.current_rev = r.getCurrentRev();
        s.version = r.getVersion();
        s.title = S(r.getTitle());
        s.last_change = r.getLastChange();
        s.retracted = r.getRetracted();
        auto raw = r.getLastRawHash();
        s.has_last_raw = raw.size() == s.last_raw.size();
        if (s.has_last_raw) std::memcpy(s.last_raw.data(), raw.begin(), raw.size());
        s.last_capture_hash = S(r.getLastCaptureHash());
        s.backfilled = r.getBackfilled();
        for (auto m : r.getMerges()) {
          s.merges.push_back({S(m.getFrom()), S(m.getInto()), m.getSeq(), m.getRecordedAt()});
        }
      }));
  return s;
}

std::string EncodeRevision(const StoredRevision& r) {
  return Canonical<schema::RevisionRecord>([&](schema::RevisionRecord::Builder b) {
    const RevisionInfo& i = r.info;
    b.setRev(i.rev);
    b.setKind(T(i.kind));
    b.setNote(T(i.note));
    b.setStealth(i.stealth);
    b.setEffectiveAt(i.effective_at);
    b.setRecordedAt(i.recorded_at);
    b.setCapturedAt(i.captured_at);
    b.setLastSeenAt(i.last_seen_at);
    b.setContentHash(T(i.content_hash));
    b.setWordsAdded(i.words_added);
    b.setWordsRemoved(i.words_removed);
    b.setSeq(i.seq);
    b.setVersion(i.version);
    if (i.has_raw) b.setRawHash(capnp::Data::Reader(i.raw_hash.data(), i.raw_hash.size()));
    b.setRedacted(i.redacted);
    b.setRedactionReason(T(i.redaction_reason));
    b.setRedactionActor(T(i.redaction_actor));
    const ArticleContent& c = r.content;
    b.setTitle(T(c.title));
    b.setByline(T(c.byline));
    b.setPublishedAt(c.published_at);
    b.setUpdatedAt(c.updated_at);
    if (r.has_body) b.setBodyHash(capnp::Data::Reader(r.body_hash.data(), r.body_hash.size()));
    auto notes = b.initNotes(c.notes.size());
    for (size_t n = 0; n < c.notes.size(); ++n) {
      notes[n].setText(T(c.notes[n].text));
      notes[n].setEffectiveAt(c.notes[n].effective_at);
    }
    b.setRetracted(r.retracted);
    // Set only when present, so records of content without them keep their bytes.
    if (!c.dek.empty()) b.setDek(T(c.dek));
    if (!c.dateline.empty()) b.setDateline(T(c.dateline));
    if (!c.outlet.empty()) b.setOutlet(T(c.outlet));
    if (!c.canonical_url.empty()) b.setCanonicalUrl(T(c.canonical_url));
    if (!c.language.empty()) b.setLanguage(T(c.language));
    if (!c.chrome.empty()) {
      auto chrome = b.initChrome(c.chrome.size());
      for (size_t n = 0; n < c.chrome.size(); ++n) chrome.set(n, T(c.chrome[n]));
    }
    if (!r.capture_url.empty()) b.setCaptureUrl(T(r.capture_url));
    if (!i.merged_from.empty()) {
      b.setMergedFrom(T(i.merged_from));
      b.setJoinedAt(i.joined_at);
    }
  });
}

Result<StoredRevision> DecodeRevisionTimes(std::string_view bytes) {
  StoredRevision out;
  PALIMPSEST_RETURN_IF_ERROR(
      ReadRecord<schema::RevisionRecord>(bytes, "revision", [&](schema::RevisionRecord::Reader b) {
        out.info.rev = b.getRev();
        out.info.effective_at = b.getEffectiveAt();
        out.info.recorded_at = b.getRecordedAt();
        out.info.seq = b.getSeq();
        out.info.captured_at = b.getCapturedAt();
        ReadMergedFrom(b, &out.info);
      }));
  return out;
}

Result<StoredRevision> DecodeRevision(std::string_view bytes) {
  StoredRevision out;
  PALIMPSEST_RETURN_IF_ERROR(
      ReadRecord<schema::RevisionRecord>(bytes, "revision", [&](schema::RevisionRecord::Reader b) {
        RevisionInfo& i = out.info;
        i.rev = b.getRev();
        i.kind = S(b.getKind());
        i.note = S(b.getNote());
        i.stealth = b.getStealth();
        i.effective_at = b.getEffectiveAt();
        i.recorded_at = b.getRecordedAt();
        i.captured_at = b.getCapturedAt();
        i.last_seen_at = b.getLastSeenAt();
        i.content_hash = S(b.getContentHash());
        i.words_added = b.getWordsAdded();
        i.words_removed = b.getWordsRemoved();
        i.seq = b.getSeq();
        i.version = b.getVersion();
        auto raw = b.getRawHash();
        i.has_raw = raw.size() == i.raw_hash.size();
        if (i.has_raw) std::memcpy(i.raw_hash.data(), raw.begin(), raw.size());
        i.redacted = b.getRedacted();
        i.redaction_reason = S(b.getRedactionReason());
        i.redaction_actor = S(b.getRedactionActor());
        ArticleContent& c = out.content;
        c.title = S(b.getTitle());
        c.byline = S(b.getByline());
        c.published_at = b.getPublishedAt();
        c.updated_at = b.getUpdatedAt();
        auto body_hash = b.getBodyHash();
        out.has_body = body_hash.size() == out.body_hash.size();
        if (out.has_body) std::memcpy(out.body_hash.data(), body_hash.begin(), body_hash.size());
        for (auto n : b.getNotes()) c.notes.push_back({S(n.getText()), n.getEffectiveAt()});
        out.retracted = b.getRetracted();
        c.dek = S(b.getDek());
        c.dateline = S(b.getDateline());
        c.outlet = S(b.getOutlet());
        c.canonical_url = S(b.getCanonicalUrl());
        c.language = S(b.getLanguage());
        for (auto line : b.getChrome()) c.chrome.push_back(S(line));
        out.capture_url = S(b.getCaptureUrl());
        ReadMergedFrom(b, &out.info);
      }));
  return out;
}

}  // namespace palimpsest
