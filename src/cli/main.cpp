#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Helenus: a Cassandra-compatible database with analytics and machine learning"};
  app.require_subcommand(1);
  helenus::cli::AddServeCommand(app);
  helenus::cli::AddShellCommand(app);
  helenus::cli::AddSqlCommand(app);
  helenus::cli::AddLoadCommand(app);
  helenus::cli::AddBenchCommand(app);
  helenus::cli::AddWorkshopCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
