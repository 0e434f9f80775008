#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rifa::settings {

// Optimal-string-alignment distance (Damerau–Levenshtein where a transposed pair counts as one
// edit and no substring is edited twice), compared case-insensitively.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a misspelt word most likely meant: one edit away, else the first candidate that
// starts with the word or that the word starts with, else two edits away. An edit count must stay
// below the word's length (so "x" does not suggest "io"). Ties go to the earlier candidate.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// "(did you mean 'kind'?; allowed: library, kind, config)" or "(allowed: library, kind, config)";
// label replaces "allowed" (e.g. "instances").
std::string suggestion_note(std::string_view word, const std::vector<std::string>& candidates,
                            std::string_view label = "allowed");

}  // namespace rifa::settings
