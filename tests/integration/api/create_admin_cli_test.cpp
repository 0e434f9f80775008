#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;

struct Run {
  int exit_code;
  std::string output;
};

// Runs rifa-host through the shell so stdin and the environment can be set per call.
Run run(const std::string& command) {
  Run out{-1, ""};
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe)) out.output += buffer;
  const int status = pclose(pipe);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(CreateAdminCli, CreatesAnAdminWhoCanLogIn) {
  RIFA_TEST_DATABASE_OR_SKIP(db);
  TempDir dir;
  const fs::path config = dir.path() / "rifa.yaml";
  std::ofstream(config) << "database:\n  url: \"" << db->url() << "\"\n"
                        << "plugins:\n  instances:\n"
                        << "    mock: {library: lottery_mock, kind: lottery}\n"
                        << "    sandbox: {library: payment_sandbox, kind: payment}\n"
                        << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
  // `env` and `stdin_line` go through the shell; the password never appears in argv.
  const auto create_admin = [&](const std::string& env, const std::string& args, const std::string& stdin_line = "") {
    return run("cd '" + dir.path().string() + "' && " + (stdin_line.empty() ? "" : "echo '" + stdin_line + "' | ") +
               env + " " RIFA_HOST_BINARY " --config '" + config.string() + "' users create-admin " + args);
  };
  auto from_env = create_admin("RIFA_ADMIN_PASSWORD='Admin-Clave-2030'", "--email Jefe@Example.com --nombre 'Jefe'");
  ASSERT_EQ(from_env.exit_code, 0) << from_env.output;
  EXPECT_NE(from_env.output.find("created admin jefe@example.com ("), std::string::npos) << from_env.output;

  auto from_stdin =
      create_admin("RIFA_ADMIN_PASSWORD=", "--email segunda@example.com --nombre Segunda", "Otra-Clave-2030");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.output;

  auto duplicate = create_admin("RIFA_ADMIN_PASSWORD='Admin-Clave-2030'", "--email JEFE@example.com --nombre Jefe");
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_NE(duplicate.output.find("rifa-host: users create-admin: email: an account with this email already exists"),
            std::string::npos)
      << duplicate.output;

  auto weak = create_admin("RIFA_ADMIN_PASSWORD=short", "--email w@example.com --nombre W");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.output.find("password: must be at least 10 characters long"), std::string::npos) << weak.output;

  auto usage = create_admin("RIFA_ADMIN_PASSWORD=x", "--email x@example.com");
  EXPECT_NE(usage.exit_code, 0);
  EXPECT_NE(usage.output.find("'users create-admin' needs --email EMAIL and --nombre NOMBRE"), std::string::npos)
      << usage.output;

  auto lease = db->db().lease();
  long long admins = 0;
  lease.session() << "SELECT count(*) FROM users WHERE rol = 'admin'", soci::into(admins);
  EXPECT_EQ(admins, 2);
}

}  // namespace
}  // namespace rifa::testing
