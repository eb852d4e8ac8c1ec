// Code generated from purecore's settings schema (core/src/config/schema.rs by core/tests/settings_declarations.rs). DO NOT EDIT.
'use strict';
// The official names that are one-setting patches (core/src/config/official.rs), by the
// class holding them: name -> [setting, conversion, doc]. configuration.js defines an
// accessor for each.

module.exports = {
  Configuration: {
    refresh_access_token: ['refresh.refresh_access_token', 'bool', 'Renew tokens by themselves, before expiry and on a 401.'],
    refresh_token_wait_max: ['refresh.refresh_token_wait_max', 'number', 'Seconds a call waits for another call\'s refresh (the official SDK says milliseconds and waits that many seconds).'],
    live_reload_config: ['live_reload_config', 'bool', 'Watch the config file and apply its changes.'],
    live_reload_interval_ms: ['config_poll_interval', 'millis', 'How often the config file is checked for changes, in milliseconds (default 1000).'],
    auth_timeout: ['auth_timeout', 'millis', 'Bound on a whole login or renewal, retries included, in milliseconds (default 16000).'],
    token_expiry_margin: ['refresh.expiry_margin', 'number', 'Seconds before expiry a token is renewed (default 30; at most half its lifetime).'],
  },
  Logger: {
    log_level: ['logging.log_level', 'text', 'How much is logged: trace > debug > error > none.'],
    log_format: ['logging.log_format', 'text', 'Log lines as text or JSON.'],
    log_to_console: ['logging.log_to_console', 'bool', 'Write log lines to stderr.'],
    log_file_path: ['logging.log_file_path', 'path', 'Append log lines to this file; empty for none.'],
    log_request_body: ['logging.log_request_body', 'bool', 'Log request bodies (secrets are always redacted).'],
    log_response_body: ['logging.log_response_body', 'bool', 'Log response bodies (secrets are always redacted).'],
  },
};
