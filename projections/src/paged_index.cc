#include "paged_index.h"

#include "encoding.h"
#include "keys.h"
#include "ledger/limits.h"

namespace ledger::projections::internal {
namespace {

/// A page's entries, decoded; the views point into `value`.
struct DecodedPage {
  std::string value;
  std::vector<std::pair<SequenceNumber, std::string_view>> entries;
};

bool DecodePage(std::string_view key, std::string_view value, DecodedPage* page) {
  page->value.assign(value);
  page->entries.clear();
  RowReader r(page->value);
  const std::uint64_t count = r.Varint();
  std::uint64_t sequence = keys::SequenceOfKey(key).value;
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) {
    sequence += r.Varint();
    page->entries.emplace_back(SequenceNumber{sequence}, r.TextView());
  }
  return r.Finished() && !page->entries.empty();
}

}  // namespace

bool PageWriter::OpenPage::full() const {
  return count >= limits::kViewPageEntriesMax || body.size() >= limits::kViewPageBytesMax;
}

PageWriter::PageWriter(ViewStore& store, ProjectionId family)
    : store_(store), family_(family), pages_(limits::kProjectionCachedRowsMax) {}

Result<bool> PageWriter::LoadLast(std::string_view prefix, OpenPage* page) const {
  ReadView view(store_);
  RowIterator it = RowIterator::OverPrefix(view, family_, std::string(prefix));
  it.SeekToLast();
  if (!it.Valid()) {
    if (!it.status().ok()) return it.status();
    return false;
  }
  RowReader r(it.value());
  page->count = r.Varint();
  if (!r.ok() || it.key().size() != prefix.size() + 8) {
    return Status::Corruption("a view page is malformed");
  }
  page->body.assign(r.Rest());
  DecodedPage decoded;
  if (!DecodePage(it.key(), it.value(), &decoded)) {
    return Status::Corruption("a view page is malformed");
  }
  page->first = keys::SequenceOfKey(it.key());
  page->last = decoded.entries.back().first;
  return true;
}

Status PageWriter::Append(std::string_view prefix, SequenceNumber sequence, std::string_view entry,
                          RowBatch* batch) {
  auto found = pages_.Find(
      prefix, [this](std::string_view key, OpenPage* page) { return LoadLast(key, page); });
  if (!found.ok()) return found.status();
  RowCache<OpenPage>::Slot* slot = *found;
  if (slot == nullptr || slot->second.row.full()) {
    slot = pages_.Insert(std::string(prefix), OpenPage{sequence, sequence, 0, {}});
  }
  OpenPage& page = slot->second.row;
  PutVarint(&page.body, sequence.value - page.last.value);
  PutField(&page.body, entry);
  page.last = sequence;
  ++page.count;
  pages_.MarkDirty(slot);
  // A full page never changes again: written now, it need not be written at the flush.
  if (page.full()) Write(prefix, page, batch);
  return Status::Ok();
}

void PageWriter::Flush(RowBatch* batch) {
  pages_.ForEachDirty([&](const std::string& prefix, OpenPage& page) {
    if (!page.full()) Write(prefix, page, batch);
  });
}

void PageWriter::Write(std::string_view prefix, const OpenPage& page, RowBatch* batch) const {
  std::string key(prefix);
  PutBe64(&key, page.first.value);
  std::string value;
  value.reserve(page.body.size() + 4);
  PutVarint(&value, page.count);
  value.append(page.body);
  batch->Put(family_, key, value);
}

}  // namespace ledger::projections::internal

namespace ledger::projections::internal {
namespace {

class PageEntryCursor final : public EntryCursor {
 public:
  PageEntryCursor(const ReadView& view, ProjectionId family, std::string prefix,
                  SequenceNumber first, SequenceNumber last, bool newest_first)
      : prefix_(std::move(prefix)),
        first_(first),
        last_(last),
        newest_first_(newest_first),
        pages_(RowIterator::OverPrefix(view, family, prefix_)) {
    if (first > last) return;
    // The page holding the bound (or the first page after it, going forward).
    pages_.SeekForPrev(keys::WithSequence(prefix_, newest_first ? last : first));
    if (!pages_.Valid() && !newest_first) pages_.SeekToFirst();
    if (!Load()) return;
    if (newest_first) {
      index_ = page_.entries.size();
      while (index_ > 0 && page_.entries[index_ - 1].first > last_) --index_;
      Step();
    } else {
      while (index_ < page_.entries.size() && page_.entries[index_].first < first_) ++index_;
      Settle();
    }
  }

  bool Valid() const override { return valid_; }
  SequenceNumber sequence() const override { return Current().first; }
  std::string_view entry() const override { return Current().second; }
  void Next() override {
    if (newest_first_) {
      Step();
    } else {
      ++index_;
      Settle();
    }
  }
  Status status() const override { return status_.ok() ? pages_.status() : status_; }

 private:
  const std::pair<SequenceNumber, std::string_view>& Current() const {
    return page_.entries[index_];
  }
  /// Decodes the page under the iterator; false at the end or on a malformed page.
  bool Load() {
    index_ = 0;
    valid_ = false;
    if (!pages_.Valid()) return false;
    if (!DecodePage(pages_.key(), pages_.value(), &page_)) {
      status_ = Status::Corruption("a view page is malformed");
      return false;
    }
    return true;
  }
  /// Going forward: stays on entry index_ or moves to the next page's first.
  void Settle() {
    while (index_ >= page_.entries.size()) {
      pages_.Next();
      if (!Load()) return;
    }
    valid_ = page_.entries[index_].first <= last_;
  }
  /// Going backward: moves to the entry before index_ (index_ counts entries left).
  void Step() {
    while (index_ == 0) {
      pages_.Prev();
      if (!Load()) return;
      index_ = page_.entries.size();
    }
    --index_;
    valid_ = page_.entries[index_].first >= first_;
  }

  std::string prefix_;
  SequenceNumber first_;
  SequenceNumber last_;
  bool newest_first_;
  RowIterator pages_;
  DecodedPage page_;
  std::size_t index_ = 0;
  bool valid_ = false;
  Status status_;
};

class RowEntryCursor final : public EntryCursor {
 public:
  RowEntryCursor(const ReadView& view, ProjectionId family, const std::string& prefix,
                 SequenceNumber first, SequenceNumber last, bool newest_first)
      : rows_(
            view, family, keys::WithSequence(prefix, first),
            last.value == UINT64_MAX ? PrefixEnd(prefix) : keys::WithSequence(prefix, last.Next())),
        newest_first_(newest_first) {
    if (first > last) {
      empty_ = true;
      return;
    }
    if (newest_first_) {
      rows_.SeekToLast();
    } else {
      rows_.SeekToFirst();
    }
  }
  bool Valid() const override { return !empty_ && rows_.Valid(); }
  SequenceNumber sequence() const override { return keys::SequenceOfKey(rows_.key()); }
  std::string_view entry() const override { return rows_.value(); }
  void Next() override {
    if (newest_first_) {
      rows_.Prev();
    } else {
      rows_.Next();
    }
  }
  Status status() const override { return rows_.status(); }

 private:
  RowIterator rows_;
  bool newest_first_;
  bool empty_ = false;
};

}  // namespace

std::unique_ptr<EntryCursor> PageCursor(const ReadView& view, ProjectionId family,
                                        std::string prefix, SequenceNumber first,
                                        SequenceNumber last, bool newest_first) {
  return std::make_unique<PageEntryCursor>(view, family, std::move(prefix), first, last,
                                           newest_first);
}

std::unique_ptr<EntryCursor> RowCursor(const ReadView& view, ProjectionId family,
                                       const std::string& prefix, SequenceNumber first,
                                       SequenceNumber last, bool newest_first) {
  return std::make_unique<RowEntryCursor>(view, family, prefix, first, last, newest_first);
}

Result<std::optional<std::pair<SequenceNumber, std::string>>> LastEntryAtOrBefore(
    const ReadView& view, ProjectionId family, const std::string& prefix, SequenceNumber sequence) {
  PageEntryCursor cursor(view, family, prefix, SequenceNumber{0}, sequence, true);
  Status status = cursor.status();
  if (!status.ok()) return status;
  if (!cursor.Valid()) return std::optional<std::pair<SequenceNumber, std::string>>();
  return std::optional<std::pair<SequenceNumber, std::string>>(
      std::pair{cursor.sequence(), std::string(cursor.entry())});
}

}  // namespace ledger::projections::internal
