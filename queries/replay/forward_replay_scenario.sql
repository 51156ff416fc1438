-- forward_replay_scenario: which scenario the replay tables were last built for (replay_params): the
-- fine-tuned provider and model, the workload and the base model, so that a forward replay given a
-- historical result can check that the tables it reuses are that replay's.
select ft_provider, ft_model, workload, base_model
from replay_params
order by ft_model
