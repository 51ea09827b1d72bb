#include "response_json.h"

#include <flatbuffers/minireflect.h>

#include <string>

namespace ledger::ctl {
namespace {

using flatbuffers::ElementaryType;
using flatbuffers::TypeTable;
using nlohmann::json;

std::string FieldName(const char* name) {
  std::string text = name == nullptr ? "" : name;
  // flatc appends '_' to a field named like a C++ keyword (`module` becomes `module_`); the
  // schema's name is the one docs/protocol.md and programs use.
  if (!text.empty() && text.back() == '_') text.pop_back();
  return text;
}

/// An enum's (or a union type's) name for `value`; the number for a value this build does not
/// know (sent by a newer server), and for a plain integer.
json NumberOrName(std::int64_t value, const TypeTable* type, json number) {
  if (type != nullptr && (type->st == flatbuffers::ST_ENUM || type->st == flatbuffers::ST_UNION)) {
    if (const char* name = flatbuffers::EnumName(value, type)) return name;
  }
  return number;
}

/// What the reader of a field absent from the buffer sees: the schema's default, which is zero
/// (or the enum's zero value) for every field of the responses and events (some requests have
/// other defaults, but requests are not printed).
json DefaultOf(ElementaryType element, const TypeTable* type) {
  switch (element) {
    case flatbuffers::ET_BOOL:
      return false;
    case flatbuffers::ET_FLOAT:
    case flatbuffers::ET_DOUBLE:
      return 0.0;
    case flatbuffers::ET_STRING:
      return "";
    case flatbuffers::ET_SEQUENCE:
      return nullptr;
    default:
      return NumberOrName(0, type, 0);
  }
}

json UnionJson(const std::uint8_t* value, const TypeTable* type, std::uint8_t member) {
  const auto index = flatbuffers::LookupEnum(member, type->values, type->num_elems);
  if (index <= 0 || index >= static_cast<std::int64_t>(type->num_elems)) return nullptr;
  const auto code = type->type_codes[index];
  if (code.base_type != flatbuffers::ET_SEQUENCE) return nullptr;
  return TableJson(value, type->type_refs[code.sequence_ref]());
}

/// The value stored at `value`; `union_member` is a union's type (the field just before it).
json ValueJson(ElementaryType element, const std::uint8_t* value, const TypeTable* type,
               const std::uint8_t* union_member) {
  using flatbuffers::ReadScalar;
  switch (element) {
    case flatbuffers::ET_UTYPE:
    case flatbuffers::ET_UCHAR: {
      auto v = ReadScalar<std::uint8_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_BOOL:
      return ReadScalar<std::uint8_t>(value) != 0;
    case flatbuffers::ET_CHAR: {
      auto v = ReadScalar<std::int8_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_SHORT: {
      auto v = ReadScalar<std::int16_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_USHORT: {
      auto v = ReadScalar<std::uint16_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_INT: {
      auto v = ReadScalar<std::int32_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_UINT: {
      auto v = ReadScalar<std::uint32_t>(value);
      return NumberOrName(v, type, v);
    }
    case flatbuffers::ET_LONG:
      return ReadScalar<std::int64_t>(value);
    case flatbuffers::ET_ULONG:
      return ReadScalar<std::uint64_t>(value);
    case flatbuffers::ET_FLOAT:
      return ReadScalar<float>(value);
    case flatbuffers::ET_DOUBLE:
      return ReadScalar<double>(value);
    case flatbuffers::ET_STRING: {
      const auto* text = reinterpret_cast<const flatbuffers::String*>(
          value + ReadScalar<flatbuffers::uoffset_t>(value));
      return text->str();
    }
    case flatbuffers::ET_SEQUENCE:
      switch (type->st) {
        case flatbuffers::ST_TABLE:
          return TableJson(value + ReadScalar<flatbuffers::uoffset_t>(value), type);
        case flatbuffers::ST_STRUCT:
          return TableJson(value, type);
        case flatbuffers::ST_UNION:
          if (union_member == nullptr) return nullptr;
          return UnionJson(value + ReadScalar<flatbuffers::uoffset_t>(value), type, *union_member);
        case flatbuffers::ST_ENUM:
          return nullptr;
      }
  }
  return nullptr;
}

std::string HexOf(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

json VectorJson(ElementaryType element, const std::uint8_t* field, const TypeTable* type,
                const std::uint8_t* union_members) {
  const auto* vector = reinterpret_cast<const flatbuffers::Vector<std::uint8_t>*>(
      field + flatbuffers::ReadScalar<flatbuffers::uoffset_t>(field));
  // Bytes that are not an enum are hashes, digests or payloads.
  if (element == flatbuffers::ET_UCHAR && type == nullptr) {
    return HexOf(vector->Data(), vector->size());
  }
  json items = json::array();
  const std::uint8_t* item = vector->Data();
  const auto* members = reinterpret_cast<const flatbuffers::Vector<std::uint8_t>*>(
      union_members == nullptr
          ? nullptr
          : union_members + flatbuffers::ReadScalar<flatbuffers::uoffset_t>(union_members));
  for (flatbuffers::uoffset_t i = 0; i < vector->size(); ++i) {
    const std::uint8_t* member =
        members != nullptr && i < members->size() ? members->Data() + i : nullptr;
    items.push_back(ValueJson(element, item, type, member));
    item += flatbuffers::InlineSize(element, type);
  }
  return items;
}

}  // namespace

json TableJson(const std::uint8_t* table, const TypeTable* type) {
  json out = json::object();
  const std::uint8_t* previous = nullptr;
  for (std::size_t i = 0; i < type->num_elems; ++i) {
    const auto code = type->type_codes[i];
    const auto element = static_cast<ElementaryType>(code.base_type);
    const TypeTable* ref = code.sequence_ref >= 0 ? type->type_refs[code.sequence_ref]() : nullptr;
    // A union's value follows the field holding its type.
    const std::uint8_t* union_type =
        ref != nullptr && ref->st == flatbuffers::ST_UNION ? previous : nullptr;
    const std::string name = FieldName(type->names == nullptr ? nullptr : type->names[i]);
    const std::uint8_t* field =
        type->st == flatbuffers::ST_TABLE
            ? reinterpret_cast<const flatbuffers::Table*>(table)->GetAddressOf(
                  flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(i)))
            : table + type->values[i];
    if (code.is_repeating != 0 && type->st != flatbuffers::ST_TABLE) {
      out[name] = nullptr;  // Fixed arrays in structs: the protocol has none.
    } else if (code.is_repeating != 0) {
      out[name] = field != nullptr ? VectorJson(element, field, ref, union_type)
                  : element == flatbuffers::ET_UCHAR && ref == nullptr ? json("")
                                                                       : json::array();
    } else if (field == nullptr) {
      out[name] = DefaultOf(element, ref);
    } else {
      out[name] = ValueJson(element, field, ref, union_type);
    }
    previous = field;
  }
  return out;
}

}  // namespace ledger::ctl
