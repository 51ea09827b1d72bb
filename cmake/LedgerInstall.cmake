# `cmake --install` puts the public headers, the libraries and a CMake package in place, so an
# application can embed the engine and the projections with find_package(Ledger) (see
# docs/embedding.md).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

install(TARGETS ledger_engine ledger_projections ledger_schema
  EXPORT LedgerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT LedgerTargets
  NAMESPACE Ledger::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Ledger)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/LedgerConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/LedgerConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Ledger)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/LedgerConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/LedgerConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/LedgerConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Ledger)
