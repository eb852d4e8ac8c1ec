'use strict';
// purecore: a drop-in for purecloud-platform-client-v2 over the purecore Rust core.
// Requiring this file starts nothing: the native addon, its threads and the API
// classes are loaded on first use.

const { ApiClient } = require('./lib/api-client');
const errors = require('./lib/errors');
const { logLevelEnum, logFormatEnum } = require('./lib/configuration');
const { PureCloudRegionHosts } = require('./lib/regions');
const native = require('./lib/native');

// Each API class is a getter that builds the class when first read; its methods come from
// the addon's catalog, read when the first class is built.
const apis = require('./generated/apis.js').defineApis(
  ApiClient,
  () => native.load().apiTable(),
  (operationId) => native.load().operation(operationId),
);
// The tutorial's client (`new PlatformClient()`), a thin layer over ApiClient.
const { PlatformClient } = require('./lib/platform-client');

module.exports = {
  ApiClient,
  PlatformClient,
  PureCloudRegionHosts,
  ApiError: errors.ApiError,
  AuthenticationError: errors.AuthenticationError,
  RateLimitError: errors.RateLimitError,
  TimeoutError: errors.TimeoutError,
  ConnectionError: errors.ConnectionError,
  InvalidArgumentError: errors.InvalidArgumentError,
  ConfigurationError: errors.ConfigurationError,
  DecodingError: errors.DecodingError,
  InternalError: errors.InternalError,
  logLevelEnum,
  logFormatEnum,
};

Object.defineProperties(module.exports, Object.getOwnPropertyDescriptors(apis));
