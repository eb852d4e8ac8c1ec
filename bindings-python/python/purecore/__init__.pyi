from . import api_client as api_client
from . import logger as logger
from . import platform_client as platform_client
from . import models as models
from . import purecloud_region_hosts as purecloud_region_hosts
from . import rest as rest
from ._configuration import Configuration as Configuration
from ._configuration import GatewayConfiguration as GatewayConfiguration
from ._configuration import RetryConfiguration as RetryConfiguration
from ._generated import *  # every API class (the generated __all__)
from ._generated.models import *  # noqa: F401,F403
from .api_client import ApiClient as ApiClient
from .api_client import AsyncApiClient as AsyncApiClient
from .api_client import HttpClient as HttpClient
from .api_client import HttpRequestOptions as HttpRequestOptions
from .api_client import compute_pkce_code_challenge as compute_pkce_code_challenge
from .api_client import generate_pkce_code_verifier as generate_pkce_code_verifier
from .logger import LogFormat as LogFormat
from .logger import LogLevel as LogLevel
from .platform_client import ApiResponse as ApiResponse
from .platform_client import PureCloudPlatformClientV2 as PureCloudPlatformClientV2
from .platform_client import RetryPolicy as RetryPolicy
from .purecloud_region_hosts import PureCloudRegionHosts as PureCloudRegionHosts
from .rest import ApiException as ApiException
from .rest import AuthenticationException as AuthenticationException
from .rest import ConfigurationException as ConfigurationException
from .rest import ConnectionException as ConnectionException
from .rest import DecodingException as DecodingException
from .rest import InternalException as InternalException
from .rest import InvalidArgumentException as InvalidArgumentException
from .rest import RateLimitException as RateLimitException
from .rest import RESTResponse as RESTResponse
from .rest import TimeoutException as TimeoutException

configuration: Configuration
__version__: str
