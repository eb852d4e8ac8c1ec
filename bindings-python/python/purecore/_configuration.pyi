from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from .logger import LogFormat, LogLevel
from .purecloud_region_hosts import PureCloudRegionHosts

class Logger:
    @property
    def log_level(self) -> LogLevel: ...
    @log_level.setter
    def log_level(self, value: Union[LogLevel, str]) -> None: ...
    @property
    def log_format(self) -> LogFormat: ...
    @log_format.setter
    def log_format(self, value: Union[LogFormat, str]) -> None: ...
    log_to_console: bool
    log_file_path: Optional[str]
    log_request_body: bool
    log_response_body: bool
    sink: Optional[Callable[[str, str], Any]]

class RetryConfiguration:
    max_retries: int
    retry_wait_min: float
    retry_wait_max: float
    max_total_wait: float
    statuses: List[int]
    retry_non_idempotent: bool
    hook: Optional[Callable[[Dict[str, Any]], Any]]

class GatewayConfiguration:
    host: str
    protocol: str
    port: Optional[int]
    path_params_login: str
    path_params_api: str
    def __init__(
        self,
        host: str = ...,
        protocol: str = ...,
        port: Optional[int] = ...,
        path_params_login: str = ...,
        path_params_api: str = ...,
    ) -> None: ...

class Configuration:
    logger: Logger
    retry: RetryConfiguration
    def __init__(self) -> None: ...
    @property
    def host(self) -> str: ...
    @host.setter
    def host(self, value: Union[str, PureCloudRegionHosts]) -> None: ...
    gateway_configuration: Optional[GatewayConfiguration]
    should_refresh_access_token: bool
    refresh_token_wait_time: float
    live_reload_config: bool
    timeout: float
    auth_timeout: float
    connect_timeout: float
    token_expiry_margin: float
    config_poll_interval: float
    allow_insecure_http: bool
    config_file_path: Optional[str]
    access_token: Optional[str]
    verify_ssl: bool
    ssl_ca_cert: Optional[str]
    proxy: Optional[str]
    proxy_username: Optional[str]
    proxy_password: Optional[str]
    cert_file: Optional[str]
    key_file: Optional[str]
    def set_mtls_certificates(self, cert_path: str, key_path: str, ca_path: Optional[str] = ...) -> None: ...
    def set_mtls_contents(self, cert: str, key: str, ca: Optional[str] = ...) -> None: ...
    def settings(self) -> Dict[str, Any]: ...

def _read(path: str) -> str: ...
