# Every dependency comes from a Debian 12 package (scripts/debian-packages.txt).
find_package(RocksDB REQUIRED CONFIG)
find_package(FlatBuffers REQUIRED CONFIG)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

find_program(FLATC flatc REQUIRED)
