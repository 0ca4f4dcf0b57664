#pragma once

// Token-list columns: list<text> values held CQL-serialized in an
// exec::Column (physical kString), so they go back to drivers and tables
// as they are. Tokenizers write them; StopWordsRemover, HashingTF and
// CountVectorizer read them.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/exec/column.h"
#include "helenus/ml/frame.h"

namespace helenus::ml {

// The type of token-list columns the transformers write: list<text>.
DataType TextListType();

// True for list<text> or set<text> (ascii/varchar too, frozen or not).
bool IsTextListType(const DataType& type);

// The token-list column called name of f; Invalid naming `what` when absent,
// a vector column, or of another type.
const exec::Column& TextListColumn(const Frame& f, std::string_view name, std::string_view what);

// The elements of a CQL-serialized list (views into `list`) into *out,
// cleared first; NULL elements are left out. Invalid when malformed.
void DecodeTextList(std::string_view list, std::vector<std::string_view>* out);

// Appends the CQL serialization of items (a list<text> value) to *out.
void EncodeTextList(std::span<const std::string_view> items, std::string* out);
void EncodeTextList(std::span<const std::string> items, std::string* out);

}  // namespace helenus::ml
