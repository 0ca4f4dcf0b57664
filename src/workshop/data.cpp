#include "helenus/workshop/data.h"

#include <fstream>

#include "helenus/common/error.h"
#include "sources.h"

namespace helenus::workshop {

std::optional<std::filesystem::path> Existing(const WorkshopDir& dir, const char* name) {
  if (!dir) return std::nullopt;
  std::filesystem::path p = *dir / name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  return p;
}

std::vector<PreparedFile> PrepareData(const std::filesystem::path& out_dir,
                                      const std::optional<std::filesystem::path>& workshop_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) ThrowInvalid("Cannot create {}: {}", out_dir.string(), ec.message());
  if (workshop_dir && !std::filesystem::is_directory(*workshop_dir, ec)) {
    ThrowInvalid("Workshop data directory {} does not exist", workshop_dir->string());
  }
  std::vector<PreparedFile> out;
  out.push_back(PrepareSocialMedia(out_dir, workshop_dir));
  out.push_back(PrepareWines(out_dir, workshop_dir));
  for (auto& f : PrepareMovies(out_dir, workshop_dir)) out.push_back(std::move(f));
  out.push_back(PrepareTumours(out_dir));

  std::ofstream sources(out_dir / "SOURCES.txt", std::ios::trunc);
  sources << "# Where each prepared file came from (helenus workshop prepare)\n";
  for (const auto& f : out) sources << f.name << "\t" << f.rows << " rows\t" << f.source << "\n";
  if (!sources) ThrowInvalid("Cannot write {}", (out_dir / "SOURCES.txt").string());
  return out;
}

}  // namespace helenus::workshop
