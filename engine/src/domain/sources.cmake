# The payment domain's sources, compiled into ledger_engine (see engine/CMakeLists.txt).
set(LEDGER_DOMAIN_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/commands.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/event_codec.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/events.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/money.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/principal.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/src/domain/rejection.cc
)
