#include "settings/yaml_json.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rifa::settings {
namespace {

using nlohmann::json;

json typed(std::string_view text) {
  auto t = type_plain_scalar(text);
  EXPECT_EQ(t.error, "") << text;
  return t.value;
}

std::string type_error(std::string_view text) { return type_plain_scalar(text).error; }

TEST(TypePlainScalar, NullsAndBooleansFollowTheCoreSchema) {
  for (auto s : {"", "~", "null", "Null", "NULL"}) EXPECT_TRUE(typed(s).is_null()) << s;
  for (auto s : {"true", "True", "TRUE"}) EXPECT_EQ(typed(s), json(true)) << s;
  for (auto s : {"false", "False", "FALSE"}) EXPECT_EQ(typed(s), json(false)) << s;
  // YAML 1.1's yes/no/on/off are strings in 1.2: "NO" (Norway) stays a country code.
  for (auto s : {"yes", "no", "on", "off", "NO", "tRUE"}) EXPECT_EQ(typed(s), json(s)) << s;
}

TEST(TypePlainScalar, Integers) {
  EXPECT_EQ(typed("42"), json(42));
  EXPECT_TRUE(typed("42").is_number_integer());
  EXPECT_EQ(typed("-7"), json(-7));
  EXPECT_EQ(typed("+7"), json(7));
  EXPECT_EQ(typed("0x1F"), json(31));
  EXPECT_EQ(typed("0o17"), json(15));
  EXPECT_EQ(typed("9223372036854775807"), json(INT64_MAX));
  EXPECT_EQ(typed("-9223372036854775808"), json(INT64_MIN));
  EXPECT_TRUE(typed("18446744073709551615").is_number_unsigned());
  EXPECT_EQ(typed("18446744073709551615").get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(type_error("18446744073709551616"), "integer 18446744073709551616 is out of range");
  EXPECT_EQ(type_error("-9223372036854775809"), "integer -9223372036854775809 is out of range");
}

TEST(TypePlainScalar, Floats) {
  EXPECT_TRUE(typed("1.5").is_number_float());
  EXPECT_DOUBLE_EQ(typed("1.5").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(typed("-.5").get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(typed("+2.").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(typed("1e3").get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(typed("2.5E-1").get<double>(), 0.25);
  EXPECT_EQ(type_error(".inf"), "'.inf' cannot be represented in JSON (no infinity or NaN)");
  EXPECT_EQ(type_error("-.Inf"), "'-.Inf' cannot be represented in JSON (no infinity or NaN)");
  EXPECT_EQ(type_error(".nan"), "'.nan' cannot be represented in JSON (no infinity or NaN)");
}

TEST(TypePlainScalar, EverythingElseIsAString) {
  // Leading-zero numbers that are not core-schema ints keep their digits as strings.
  for (auto s : {"01234x", "1.2.3", "0x", "0xZZ", "1e", "e3", ".", "-", "hello world", "12:30", "2024-05-01"}) {
    EXPECT_EQ(typed(s), json(s)) << s;
  }
}

struct Converted {
  std::optional<json> value;
  std::vector<std::string> errors;
};

Converted convert(const std::string& yaml) {
  Converted out;
  YamlToJsonHooks hooks;
  hooks.scalar_text = [](const YAML::Node& n, const std::string&) { return std::optional<std::string>(n.Scalar()); };
  hooks.error = [&](const YAML::Node& at, const std::string& path, const std::string& message) {
    out.errors.push_back(std::to_string(at.Mark().line + 1) + ":" + std::to_string(at.Mark().column + 1) + " " + path +
                         ": " + message);
  };
  out.value = yaml_to_json(YAML::Load(yaml), "cfg", hooks);
  return out;
}

TEST(YamlToJson, QuotedAndBlockScalarsStayStrings) {
  auto c = convert("a: \"42\"\nb: '1.5'\nc: \"true\"\nd: \"\"\ne: |\n  12\nf: !!str 7\ng: 0123\n");
  ASSERT_TRUE(c.value) << c.errors.front();
  EXPECT_EQ(*c.value, json::parse(R"({"a":"42","b":"1.5","c":"true","d":"","e":"12\n","f":"7","g":123})"));
}

TEST(YamlToJson, NestedStructuresKeepTheirShapeAndTypes) {
  auto c = convert("seed: 42\nratio: 0.25\nflags: [true, ~, x]\nnested: {a: [1, {b: null}], empty: {}}\nnone:\n");
  ASSERT_TRUE(c.value);
  EXPECT_EQ(
      *c.value,
      json::parse(
          R"({"seed":42,"ratio":0.25,"flags":[true,null,"x"],"nested":{"a":[1,{"b":null}],"empty":{}},"none":null})"));
  EXPECT_TRUE((*c.value)["seed"].is_number_integer());
}

TEST(YamlToJson, CoreTagsAreHonouredAndChecked) {
  auto ok = convert("a: !!int 12\nb: !!float 3\nc: !!bool false\nd: !!null ~\n");
  ASSERT_TRUE(ok.value);
  EXPECT_EQ(*ok.value, json::parse(R"({"a":12,"b":3.0,"c":false,"d":null})"));
  EXPECT_TRUE((*ok.value)["b"].is_number_float());

  auto bad = convert("a: !!int twelve\nb: !custom x\n");
  EXPECT_FALSE(bad.value);
  EXPECT_EQ(bad.errors, (std::vector<std::string>{
                            "1:4 cfg.a: 'twelve' is not a valid !!int",
                            "2:4 cfg.b: unsupported tag '!custom' (use plain YAML or the core tags !!str, !!int, "
                            "!!float, !!bool, !!null)"}));
}

TEST(YamlToJson, ReportsDuplicateAndComplexKeysAndUnrepresentableNumbers) {
  auto c = convert("a: 1\nlist: [.nan]\na: 2\n? [x]\n: 3\n");
  EXPECT_FALSE(c.value);
  EXPECT_EQ(c.errors,
            (std::vector<std::string>{"2:8 cfg.list[0]: '.nan' cannot be represented in JSON (no infinity or NaN)",
                                      "3:1 cfg.a: duplicate key 'a' (first defined at line 1, column 1)",
                                      "4:3 cfg: expected a plain key, got a list"}));
}

}  // namespace
}  // namespace rifa::settings
