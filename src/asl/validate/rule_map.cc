// Rule: Map fields. One of ItemProcessor / legacy Iterator; ItemSelector or
// legacy Parameters; MaxConcurrency(Path), ToleratedFailurePercentage(Path)
// and ToleratedFailureCount(Path) exclusive pairs with AWS's ranges; the
// distributed-map objects ItemReader, ResultWriter and ItemBatcher; Label.
// AWS accepts ItemReader & co. on a Map whatever its processor mode.

#include <cstdint>
#include <limits>

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();

void CheckEnum(const Json& obj, std::string_view field, std::initializer_list<std::string_view> values,
               const std::string& loc, Sink& sink) {
  const Json* v = obj.find(field);
  if (v == nullptr) return;
  std::string at = Join(loc, field);
  if (!v->is_string()) {
    sink.Schema("Expected value of type [STRING]", at);
    return;
  }
  std::string list;
  for (auto x : values) {
    if (v->get_string() == x) return;
    list += list.empty() ? std::string(x) : ", " + std::string(x);
  }
  sink.Schema("Value should be one of the following: [" + list + "]", at);
}

// Parameters (JSONPath) or Arguments (JSONata) of an ItemReader / ResultWriter.
void CheckPayloadField(const Json& obj, const std::string& loc, QueryLanguage ql, Sink& sink) {
  if (const Json* p = obj.find("Parameters"); p != nullptr) {
    if (ql == QueryLanguage::kJsonata) {
      sink.Schema("The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported "
                  "for the 'JSONPath' QueryLanguage",
                  Join(loc, "Parameters"));
    } else if (!p->is_object()) {
      sink.Schema("Expected value of type [OBJECT]", Join(loc, "Parameters"));
    } else {
      CheckPayloadTemplate(*p, Join(loc, "Parameters"), sink);
    }
  }
  if (const Json* a = obj.find("Arguments"); a != nullptr) {
    if (ql == QueryLanguage::kJsonPath) {
      sink.Schema("The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported "
                  "for the 'JSONata' QueryLanguage",
                  Join(loc, "Arguments"));
    } else if (!a->is_object() && !IsJsonataString(*a)) {
      sink.Schema("Expected value of type [OBJECT]", Join(loc, "Arguments"));
    } else {
      CheckJsonataValue(*a, Join(loc, "Arguments"), sink);
    }
  }
}

void CheckItemReader(const Json& r, const std::string& loc, QueryLanguage ql, Sink& sink) {
  if (!r.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", loc);
    return;
  }
  bool jsonata = ql == QueryLanguage::kJsonata;
  for (const auto& m : r.get_object()) {
    if (m.key != "Resource" && m.key != "ReaderConfig" && m.key != "Parameters" && m.key != "Arguments") {
      sink.Schema("Field '" + m.key + "' is not supported", loc);
    }
  }
  const Json* res = r.find("Resource");
  if (res == nullptr) {
    sink.Schema("These fields are required: [Resource]", loc);
  } else if (!res->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(loc, "Resource"));
  } else if (res->get_string() != "arn:aws:states:::s3:getObject" &&
             res->get_string() != "arn:aws:states:::s3:listObjectsV2") {
    sink.Schema("Unsupported ItemReader resource '" + res->str() +
                    "': expected arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2",
                Join(loc, "Resource"));
  }
  CheckPayloadField(r, loc, ql, sink);
  const Json* cfg = r.find("ReaderConfig");
  if (cfg == nullptr) return;
  std::string cl = Join(loc, "ReaderConfig");
  if (!cfg->is_object()) {
    sink.Schema("Expected value of type [OBJECT]", cl);
    return;
  }
  for (const auto& m : cfg->get_object()) {
    const std::string& k = m.key;
    if (k == "InputType" || k == "CSVHeaderLocation" || k == "CSVHeaders" || k == "CSVDelimiter" ||
        k == "MaxItems" || k == "ManifestType") {
      continue;
    }
    if (k == "MaxItemsPath" && !jsonata) {
      CheckPath(m.value, k, Join(cl, k), true, true, sink);
      continue;
    }
    sink.Schema("Field '" + k + "' is not supported", cl);
  }
  CheckEnum(*cfg, "InputType", {"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"}, cl, sink);
  CheckEnum(*cfg, "CSVHeaderLocation", {"FIRST_ROW", "GIVEN"}, cl, sink);
  CheckEnum(*cfg, "CSVDelimiter", {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"}, cl, sink);
  CheckEnum(*cfg, "ManifestType", {"ATHENA_DATA", "S3_INVENTORY", "CSV"}, cl, sink);
  CheckExclusive(*cfg, {"MaxItems", "MaxItemsPath"}, cl, sink);
  CheckInteger(*cfg, "MaxItems", 0, 100'000'000, cl, jsonata, sink);
  if (const Json* h = cfg->find("CSVHeaders"); h != nullptr) {
    bool ok = h->is_array();
    if (ok) {
      for (const Json& e : h->get_array()) ok = ok && e.is_string();
    }
    if (!ok) sink.Schema("Expected value of type [ARRAY] of [STRING]", Join(cl, "CSVHeaders"));
  }
}

void CheckResultWriter(const Json& w, const std::string& loc, QueryLanguage ql, Sink& sink) {
  if (!w.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", loc);
    return;
  }
  if (w.size() == 0) {
    sink.Schema("ResultWriter must set Resource or WriterConfig", loc);
    return;
  }
  for (const auto& m : w.get_object()) {
    if (m.key != "Resource" && m.key != "WriterConfig" && m.key != "Parameters" && m.key != "Arguments") {
      sink.Schema("Field '" + m.key + "' is not supported", loc);
    }
  }
  if (const Json* res = w.find("Resource"); res != nullptr) {
    if (!res->is_string()) {
      sink.Schema("Expected value of type [STRING]", Join(loc, "Resource"));
    } else if (res->get_string() != "arn:aws:states:::s3:putObject") {
      sink.Schema("Unsupported ResultWriter resource '" + res->str() +
                      "': expected arn:aws:states:::s3:putObject",
                  Join(loc, "Resource"));
    }
    if (w.find("Parameters") == nullptr && w.find("Arguments") == nullptr) {
      sink.Schema(std::string("These fields are required: [") +
                      (ql == QueryLanguage::kJsonata ? "Arguments" : "Parameters") + "]",
                  loc);
    }
  }
  CheckPayloadField(w, loc, ql, sink);
  if (const Json* cfg = w.find("WriterConfig"); cfg != nullptr) {
    std::string cl = Join(loc, "WriterConfig");
    if (!cfg->is_object()) {
      sink.Schema("Expected value of type [OBJECT]", cl);
    } else {
      const Json* t = cfg->find("Transformation");
      const Json* o = cfg->find("OutputType");
      if ((t == nullptr) != (o == nullptr)) {
        sink.Schema("WriterConfig requires both Transformation and OutputType", cl);
      } else if ((t != nullptr && !t->is_string()) || (o != nullptr && !o->is_string())) {
        sink.Schema("Expected value of type [STRING]", cl);
      } else {
        CheckEnum(*cfg, "Transformation", {"NONE", "COMPACT", "FLATTEN"}, cl, sink);
        CheckEnum(*cfg, "OutputType", {"JSON", "JSONL"}, cl, sink);
      }
      for (const auto& m : cfg->get_object()) {
        if (m.key != "Transformation" && m.key != "OutputType") {
          sink.Schema("Field '" + m.key + "' is not supported", cl);
        }
      }
    }
  }
}

void CheckItemBatcher(const Json& b, const std::string& loc, QueryLanguage ql, Sink& sink) {
  if (!b.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", loc);
    return;
  }
  bool jsonata = ql == QueryLanguage::kJsonata;
  for (const auto& m : b.get_object()) {
    const std::string& k = m.key;
    if (k == "MaxItemsPerBatch" || k == "MaxInputBytesPerBatch") continue;
    if (k == "BatchInput") {
      if (jsonata) {
        CheckJsonataValue(m.value, Join(loc, k), sink);
      } else if (!m.value.is_object()) {
        sink.Schema("Expected value of type [OBJECT]", Join(loc, k));
      } else {
        CheckPayloadTemplate(m.value, Join(loc, k), sink);
      }
      continue;
    }
    if ((k == "MaxItemsPerBatchPath" || k == "MaxInputBytesPerBatchPath") && !jsonata) {
      CheckPath(m.value, k, Join(loc, k), true, true, sink);
      continue;
    }
    sink.Schema("Field '" + k + "' is not supported", loc);
  }
  CheckExclusive(b, {"MaxItemsPerBatch", "MaxItemsPerBatchPath"}, loc, sink);
  CheckExclusive(b, {"MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"}, loc, sink);
  CheckInteger(b, "MaxItemsPerBatch", 1, kMaxInt, loc, jsonata, sink);
  CheckInteger(b, "MaxInputBytesPerBatch", 1, 262'144, loc, jsonata, sink);
}

void CheckLabel(const Json& label, const std::string& loc, Sink& sink) {
  if (!label.is_string()) {
    sink.Schema("Expected value of type [STRING]", loc);
    return;
  }
  std::string_view s = label.get_string();
  size_t chars = 0;
  bool bad = s.empty();
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c <= 0x20 || c == 0x7F) bad = true;
    if (std::string_view("?*<>{}[]:;,\\|^~$#%&`\"").find(static_cast<char>(c)) != std::string_view::npos) {
      bad = true;
    }
  }
  if (bad || chars > kMaxLabelLength) {
    sink.Error("INVALID_LABEL_NAME",
               "Label must be 1-" + std::to_string(kMaxLabelLength) +
                   " characters without whitespace or any of ? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \"",
               loc);
  }
}

}  // namespace

void CheckMap(const StateCtx& s, Sink& sink) {
  const Json& st = *s.state;
  bool jsonata = s.ql == QueryLanguage::kJsonata;
  if (st.find("ItemProcessor") == nullptr && st.find("Iterator") == nullptr) {
    sink.Schema("These fields are required: [ItemProcessor]", s.location);
  }
  CheckExclusive(st, {"ItemProcessor", "Iterator"}, s.location, sink);
  CheckExclusive(st, {"ItemSelector", "Parameters"}, s.location, sink);
  CheckExclusive(st, {"MaxConcurrency", "MaxConcurrencyPath"}, s.location, sink);
  CheckExclusive(st, {"ToleratedFailurePercentage", "ToleratedFailurePercentagePath"}, s.location, sink);
  CheckExclusive(st, {"ToleratedFailureCount", "ToleratedFailureCountPath"}, s.location, sink);
  CheckExclusive(st, {"Items", "ItemReader"}, s.location, sink);
  // Measured on AWS: a MaxConcurrency above the int range is accepted (and capped at run time).
  CheckInteger(st, "MaxConcurrency", 0, kMaxInt, s.location, jsonata, sink);
  CheckNumber(st, "ToleratedFailurePercentage", 0, 100, s.location, jsonata, sink);
  CheckInteger(st, "ToleratedFailureCount", 0, kMaxInt, s.location, jsonata, sink);
  if (const Json* r = st.find("ItemReader"); r != nullptr) CheckItemReader(*r, Join(s.location, "ItemReader"), s.ql, sink);
  if (const Json* w = st.find("ResultWriter"); w != nullptr) CheckResultWriter(*w, Join(s.location, "ResultWriter"), s.ql, sink);
  if (const Json* b = st.find("ItemBatcher"); b != nullptr) CheckItemBatcher(*b, Join(s.location, "ItemBatcher"), s.ql, sink);
  if (const Json* l = st.find("Label"); l != nullptr) CheckLabel(*l, Join(s.location, "Label"), sink);
}

}  // namespace stepline::asl::validate_internal
