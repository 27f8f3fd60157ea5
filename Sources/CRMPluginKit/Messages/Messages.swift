// Short names for the generated crm.plugin.v1 messages (Generated/), so that
// plugin code reads `TrainRequest` rather than `Crm_Plugin_V1_TrainRequest`.
// Both names denote the same type.

/// `crm.plugin.v1.PluginConfig`: the configuration the host passes to `init`.
public typealias PluginConfig = Crm_Plugin_V1_PluginConfig
/// `crm.plugin.v1.DescribeRequest`: the (empty) request of `describe`.
public typealias DescribeRequest = Crm_Plugin_V1_DescribeRequest
/// `crm.plugin.v1.DescribeResponse`: what a plugin offers.
public typealias DescribeResponse = Crm_Plugin_V1_DescribeResponse
/// `crm.plugin.v1.Algorithm`: one algorithm of an analysis plugin.
public typealias Algorithm = Crm_Plugin_V1_Algorithm
/// `crm.plugin.v1.Parameter`: one parameter of an algorithm, or a plugin setting.
public typealias Parameter = Crm_Plugin_V1_Parameter
/// `crm.plugin.v1.ParameterType`: how to read a parameter's text.
public typealias ParameterType = Crm_Plugin_V1_ParameterType
/// `crm.plugin.v1.EntityKind`: customer, order, payment, interaction.
public typealias EntityKind = Crm_Plugin_V1_EntityKind
/// `crm.plugin.v1.ConnectorCapabilities`: what a connector moves.
public typealias ConnectorCapabilities = Crm_Plugin_V1_ConnectorCapabilities

/// `crm.plugin.v1.Dataset`: a dense row-major matrix with class labels.
public typealias Dataset = Crm_Plugin_V1_Dataset
/// `crm.plugin.v1.TrainRequest`.
public typealias TrainRequest = Crm_Plugin_V1_TrainRequest
/// `crm.plugin.v1.TrainResponse`.
public typealias TrainResponse = Crm_Plugin_V1_TrainResponse
/// `crm.plugin.v1.PredictRequest`.
public typealias PredictRequest = Crm_Plugin_V1_PredictRequest
/// `crm.plugin.v1.PredictResponse`.
public typealias PredictResponse = Crm_Plugin_V1_PredictResponse

/// `crm.plugin.v1.PullRequest`.
public typealias PullRequest = Crm_Plugin_V1_PullRequest
/// `crm.plugin.v1.PullResponse`.
public typealias PullResponse = Crm_Plugin_V1_PullResponse
/// `crm.plugin.v1.PushRequest`.
public typealias PushRequest = Crm_Plugin_V1_PushRequest
/// `crm.plugin.v1.PushResponse`.
public typealias PushResponse = Crm_Plugin_V1_PushResponse
/// `crm.plugin.v1.PushFailure`.
public typealias PushFailure = Crm_Plugin_V1_PushFailure
/// `crm.plugin.v1.AssignedId`.
public typealias AssignedId = Crm_Plugin_V1_AssignedId
/// `crm.plugin.v1.DeletedRecord`.
public typealias DeletedRecord = Crm_Plugin_V1_DeletedRecord
/// `crm.plugin.v1.CustomerRecord`.
public typealias CustomerRecord = Crm_Plugin_V1_CustomerRecord
/// `crm.plugin.v1.OrderRecord`.
public typealias OrderRecord = Crm_Plugin_V1_OrderRecord
/// `crm.plugin.v1.OrderLine`.
public typealias OrderLine = Crm_Plugin_V1_OrderLine
/// `crm.plugin.v1.PaymentRecord`.
public typealias PaymentRecord = Crm_Plugin_V1_PaymentRecord
/// `crm.plugin.v1.InteractionRecord`.
public typealias InteractionRecord = Crm_Plugin_V1_InteractionRecord
