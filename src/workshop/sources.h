#pragma once

// One function per prepared data set: each converts the workshop's file when
// it is there and generates rows of the same shape otherwise.

#include <filesystem>
#include <optional>

#include "helenus/workshop/data.h"

namespace helenus::workshop {

// The workshop directory, or nullopt when the examples generate their data.
using WorkshopDir = std::optional<std::filesystem::path>;

// wines.csv: red then white wine quality rows, wineid 1..n in file order.
PreparedFile PrepareWines(const std::filesystem::path& out_dir, const WorkshopDir& dir);
// socialmedia.csv: Facebook posts of Thai sellers, status_id 1..n in file order.
PreparedFile PrepareSocialMedia(const std::filesystem::path& out_dir, const WorkshopDir& dir);
// movieratings.csv and movies.csv: MovieLens ratings and titles.
std::vector<PreparedFile> PrepareMovies(const std::filesystem::path& out_dir,
                                        const WorkshopDir& dir);
// tumours.csv: the Wisconsin breast cancer data scikit-learn ships.
PreparedFile PrepareTumours(const std::filesystem::path& out_dir);

// The path of name under dir when dir is given and holds it.
std::optional<std::filesystem::path> Existing(const WorkshopDir& dir, const char* name);

}  // namespace helenus::workshop
